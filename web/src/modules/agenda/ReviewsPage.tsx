import { Alert, Card, Empty, Flex, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { errorMessage } from '../../api/errors';
import { formatDateTime } from '../../i18n/format';
import {
  formatScore,
  formatSecond,
  useReviewQueue,
  useReviews,
  type Review,
  type ReviewQueueItem,
} from './agendaApi';

function ScoreTag({ bp }: { bp: number | null }) {
  const { i18n } = useTranslation();
  const color = bp == null ? 'default' : bp >= 8000 ? 'green' : bp >= 5000 ? 'orange' : 'red';
  return <Tag color={color}>{formatScore(bp, i18n.language)}</Tag>;
}

/** Разбор звонков: the head's queue of recorded calls and held meetings, reviews written, and "my reviews". */
export default function ReviewsPage() {
  const { t, i18n } = useTranslation();
  const queue = useReviewQueue();
  const mine = useReviews({ user_id: 'me' });
  const written = useReviews({ written: 'me' });
  const queueColumns: ColumnsType<ReviewQueueItem> = [
    { key: 'at', title: t('reviews.when'), render: (_, q) => formatDateTime(q.at, i18n.language) },
    { key: 'who', title: t('reviews.seller'), render: (_, q) => q.owner_name },
    {
      key: 'what',
      title: t('reviews.activity'),
      render: (_, q) => (
        <Link to={`/reviews/new/${q.activity_id}`} data-testid={`review-queue-${q.activity_id}`}>
          {q.subject || t(`agenda.kind.${q.kind}`)}
        </Link>
      ),
    },
    {
      key: 'len',
      title: t('reviews.duration'),
      render: (_, q) => (q.duration_s != null ? formatSecond(q.duration_s) : ''),
    },
    {
      key: 'kind',
      title: '',
      render: (_, q) =>
        q.has_recording ? (
          <Tag color="blue">{t('reviews.recorded')}</Tag>
        ) : (
          <Tag>{t(`agenda.kind.${q.kind}`)}</Tag>
        ),
    },
  ];
  const reviewColumns = (withSeller: boolean): ColumnsType<Review> => [
    {
      key: 'at',
      title: t('reviews.when'),
      render: (_, r) => formatDateTime(r.activity_at, i18n.language),
    },
    ...(withSeller
      ? [
          {
            key: 'who',
            title: t('reviews.seller'),
            render: (_: unknown, r: Review) => r.reviewed_name,
          },
        ]
      : []),
    {
      key: 'what',
      title: t('reviews.activity'),
      render: (_, r) => (
        <Link to={`/reviews/${r.id}`} data-testid={`review-${r.id}`}>
          {r.activity_subject || t(`agenda.kind.${r.activity_kind}`)}
        </Link>
      ),
    },
    { key: 'reviewer', title: t('reviews.reviewer'), render: (_, r) => r.reviewer_name },
    {
      key: 'score',
      title: t('reviews.score'),
      render: (_, r) => <ScoreTag bp={r.score_bp ?? null} />,
    },
  ];
  const canReview = (queue.data?.items.length ?? 0) > 0 || (written.data?.items.length ?? 0) > 0;
  return (
    <Flex vertical gap={16} data-testid="reviews-page">
      <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
        {t('reviews.title')}
      </Typography.Title>
      {queue.isError && <Alert type="error" showIcon message={errorMessage(queue.error, t)} />}
      {canReview && (
        <Card size="small" title={t('reviews.queue')} data-testid="reviews-queue">
          <Table<ReviewQueueItem>
            rowKey="activity_id"
            size="small"
            columns={queueColumns}
            dataSource={queue.data?.items ?? []}
            pagination={{ pageSize: 10, hideOnSinglePage: true }}
            locale={{ emptyText: <Empty description={t('reviews.queueEmpty')} /> }}
          />
        </Card>
      )}
      <Card size="small" title={t('reviews.mine')} data-testid="reviews-mine">
        <Table<Review>
          rowKey="id"
          size="small"
          loading={mine.isLoading}
          columns={reviewColumns(false)}
          dataSource={mine.data?.items ?? []}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          locale={{ emptyText: <Empty description={t('reviews.mineEmpty')} /> }}
        />
      </Card>
      {(written.data?.items.length ?? 0) > 0 && (
        <Card size="small" title={t('reviews.written')} data-testid="reviews-written">
          <Table<Review>
            rowKey="id"
            size="small"
            columns={reviewColumns(true)}
            dataSource={written.data?.items ?? []}
            pagination={{ pageSize: 10, hideOnSinglePage: true }}
          />
        </Card>
      )}
    </Flex>
  );
}
