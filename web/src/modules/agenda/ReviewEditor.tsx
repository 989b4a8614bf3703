import { useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Flex,
  Input,
  List,
  Radio,
  Skeleton,
  Tag,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { api } from '../../api';
import { errorMessage } from '../../api/errors';
import { formatDateTime } from '../../i18n/format';
import { useMe } from '../auth/session';
import {
  formatScore,
  formatSecond,
  parseSecond,
  useCriteria,
  useReview,
  useReviewMutations,
  type ReviewCommentInput,
  type ReviewMarkInput,
} from './agendaApi';

interface ActivityView {
  id: number;
  kind: string;
  subject: string;
  at: number;
  owner_name?: string;
  call?: { duration_s?: number | null; has_recording?: boolean } | null;
}

/** A mark as the radio group holds it: 'na' for "not applicable". */
type MarkValue = 0 | 1 | 2 | 'na';

const toInput = (marks: Record<number, MarkValue>): ReviewMarkInput[] =>
  Object.entries(marks).map(([id, v]) => ({
    criterion_id: Number(id),
    mark: v === 'na' ? null : v,
  }));

/** The weighted score the server will compute (for the live preview while marking). */
function previewBp(
  marks: Record<number, MarkValue>,
  weights: Record<number, number>,
): number | null {
  let got = 0;
  let max = 0;
  for (const [id, v] of Object.entries(marks)) {
    if (v === 'na') continue;
    const w = weights[Number(id)] ?? 0;
    got += w * v;
    max += w * 2;
  }
  return max === 0 ? null : Math.round((got * 10000) / max);
}

/**
 * Разбор звонка: the recording in a player, the checklist marked 0 / 1 / 2 / not applicable, a summary and comments at
 * the player's current second. New (`/reviews/new/:activityId`) or an existing review (`/reviews/:id`): its reviewer
 * changes marks and adds comments, the reviewed seller reads it.
 */
export default function ReviewEditor({ mode }: { mode: 'new' | 'view' }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const params = useParams();
  const reviewId = mode === 'view' ? Number(params.id) : 0;
  const review = useReview(reviewId);
  const activityId = mode === 'new' ? Number(params.activityId) : (review.data?.activity_id ?? 0);
  const activity = useQuery({
    queryKey: ['agenda', 'activity', activityId],
    queryFn: () => api.request<ActivityView>(`/api/v1/activities/${activityId}`),
    enabled: activityId > 0,
  });
  const criteria = useCriteria();
  const { create, update, comment } = useReviewMutations();
  const audio = useRef<HTMLAudioElement>(null);
  const [marks, setMarks] = useState<Record<number, MarkValue> | null>(null);
  const [summary, setSummary] = useState<string | null>(null);
  const [pending, setPending] = useState<ReviewCommentInput[]>([]);
  const [at, setAt] = useState('');
  const [body, setBody] = useState('');

  const me = useMe();
  const isReviewer =
    mode === 'new' || (review.data && me.data && review.data.reviewer_user_id === me.data.id);

  if (review.isError)
    return <Alert type="error" showIcon message={errorMessage(review.error, t)} />;
  if ((mode === 'view' && !review.data) || !criteria.data) return <Skeleton active />;

  const items =
    mode === 'view' && review.data?.marks
      ? review.data.marks.map((m) => ({
          id: m.criterion_id,
          label_ru: m.label_ru,
          label_en: m.label_en,
          weight: m.weight,
        }))
      : criteria.data.items.map((c) => ({
          id: c.id,
          label_ru: c.label_ru,
          label_en: c.label_en,
          weight: c.weight,
        }));
  const initial: Record<number, MarkValue> = {};
  for (const it of items) {
    const m = review.data?.marks?.find((x) => x.criterion_id === it.id);
    initial[it.id] = m ? ((m.mark ?? 'na') as MarkValue) : mode === 'new' ? 2 : 'na';
  }
  const current = marks ?? initial;
  const weights = Object.fromEntries(items.map((i) => [i.id, i.weight]));
  const score = previewBp(current, weights);
  const duration = activity.data?.call?.duration_s ?? review.data?.call_duration_s ?? null;
  const hasRecording = activity.data?.call?.has_recording ?? review.data?.has_recording ?? false;
  const comments = [
    ...(review.data?.comments ?? []),
    ...pending.map((c, i) => ({ ...c, id: -i - 1 })),
  ];

  const takeTime = () => {
    const s = Math.floor(audio.current?.currentTime ?? 0);
    setAt(formatSecond(s));
  };
  const seek = (s: number | null | undefined) => {
    if (s == null || !audio.current) return;
    audio.current.currentTime = s;
    void audio.current.play().catch(() => undefined);
  };
  const addComment = () => {
    const second = at.trim() === '' ? null : parseSecond(at);
    if (at.trim() !== '' && second == null) {
      void message.error(t('reviews.badTime'));
      return;
    }
    if (!body.trim()) return;
    if (mode === 'new') {
      setPending([...pending, { at_second: second, body: body.trim() }]);
      setBody('');
      return;
    }
    comment.mutate(
      { id: reviewId, at_second: second, body: body.trim() },
      {
        onSuccess: () => setBody(''),
        onError: (e) => void message.error(errorMessage(e, t)),
      },
    );
  };
  const save = () => {
    if (mode === 'new') {
      create.mutate(
        {
          activity_id: activityId,
          marks: toInput(current),
          summary: summary ?? '',
          comments: pending,
        },
        {
          onSuccess: (r) => {
            void message.success(t('reviews.saved'));
            navigate(`/reviews/${r.id}`, { replace: true });
          },
          onError: (e) => void message.error(errorMessage(e, t)),
        },
      );
    } else {
      update.mutate(
        { id: reviewId, marks: toInput(current), summary: summary ?? review.data?.summary ?? '' },
        {
          onSuccess: () => void message.success(t('reviews.saved')),
          onError: (e) => void message.error(errorMessage(e, t)),
        },
      );
    }
  };
  const label = (i: { label_ru: string; label_en: string }) =>
    i18n.language === 'en' ? i.label_en : i.label_ru;

  return (
    <Flex vertical gap={16} data-testid="review-editor">
      <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
        {mode === 'new' ? t('reviews.newTitle') : t('reviews.viewTitle')}
      </Typography.Title>
      <Card size="small">
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={t('reviews.seller')}>
            {review.data?.reviewed_name ?? activity.data?.owner_name ?? ''}
          </Descriptions.Item>
          <Descriptions.Item label={t('reviews.activity')}>
            {review.data?.activity_subject ?? activity.data?.subject ?? ''}
          </Descriptions.Item>
          <Descriptions.Item label={t('reviews.when')}>
            {formatDateTime(review.data?.activity_at ?? activity.data?.at, i18n.language)}
          </Descriptions.Item>
          {review.data && (
            <Descriptions.Item label={t('reviews.reviewer')}>
              {review.data.reviewer_name}
            </Descriptions.Item>
          )}
        </Descriptions>
        {hasRecording ? (
          <audio
            ref={audio}
            controls
            preload="metadata"
            style={{ width: '100%', marginTop: 8 }}
            src={`/api/v1/activities/${activityId}/recording`}
            data-testid="review-audio"
          />
        ) : (
          <Typography.Text type="secondary">{t('reviews.noRecording')}</Typography.Text>
        )}
      </Card>
      <Card
        size="small"
        title={
          <Flex justify="space-between">
            <span>{t('reviews.checklist')}</span>
            <span data-testid="review-score">
              {t('reviews.score')}:{' '}
              {formatScore(
                mode === 'view' && marks == null ? review.data?.score_bp : score,
                i18n.language,
              )}
            </span>
          </Flex>
        }
      >
        <List
          size="small"
          dataSource={items}
          renderItem={(it, index) => (
            <List.Item data-testid={`review-criterion-${index}`}>
              <Flex justify="space-between" align="center" wrap gap={8} style={{ width: '100%' }}>
                <span>
                  {label(it)} <Tag>{t('reviews.weight', { w: it.weight })}</Tag>
                </span>
                <Radio.Group
                  size="small"
                  disabled={!isReviewer}
                  value={current[it.id]}
                  onChange={(e) => setMarks({ ...current, [it.id]: e.target.value as MarkValue })}
                  optionType="button"
                  options={[
                    { value: 2, label: t('reviews.mark.2') },
                    { value: 1, label: t('reviews.mark.1') },
                    { value: 0, label: t('reviews.mark.0') },
                    { value: 'na', label: t('reviews.mark.na') },
                  ]}
                />
              </Flex>
            </List.Item>
          )}
        />
        <Input.TextArea
          style={{ marginTop: 8 }}
          rows={3}
          maxLength={4000}
          disabled={!isReviewer}
          placeholder={t('reviews.summary')}
          value={summary ?? review.data?.summary ?? ''}
          onChange={(e) => setSummary(e.target.value)}
          data-testid="review-summary"
        />
      </Card>
      <Card size="small" title={t('reviews.comments')}>
        <List
          size="small"
          dataSource={comments}
          locale={{ emptyText: t('reviews.noComments') }}
          renderItem={(c) => (
            <List.Item data-testid="review-comment">
              <span>
                {c.at_second != null ? (
                  <Button size="small" type="link" onClick={() => seek(c.at_second)}>
                    {formatSecond(c.at_second)}
                  </Button>
                ) : (
                  <Tag>{t('reviews.whole')}</Tag>
                )}{' '}
                {c.body}
              </span>
            </List.Item>
          )}
        />
        {isReviewer && (
          <Flex gap={8} style={{ marginTop: 8 }} wrap>
            <Input
              style={{ width: 90 }}
              placeholder={duration != null ? `0:00–${formatSecond(duration)}` : '0:00'}
              value={at}
              onChange={(e) => setAt(e.target.value)}
              data-testid="review-comment-at"
            />
            {hasRecording && <Button onClick={takeTime}>{t('reviews.now')}</Button>}
            <Input
              style={{ flex: 1, minWidth: 200 }}
              placeholder={t('reviews.commentPlaceholder')}
              value={body}
              maxLength={2000}
              onChange={(e) => setBody(e.target.value)}
              onPressEnter={addComment}
              data-testid="review-comment-body"
            />
            <Button
              onClick={addComment}
              loading={comment.isPending}
              data-testid="review-comment-add"
            >
              {t('reviews.addComment')}
            </Button>
          </Flex>
        )}
      </Card>
      {isReviewer && (
        <Flex gap={8}>
          <Button
            type="primary"
            onClick={save}
            loading={create.isPending || update.isPending}
            data-testid="review-save"
          >
            {mode === 'new' ? t('reviews.submit') : t('reviews.saveChanges')}
          </Button>
          <Button onClick={() => navigate('/reviews')}>{t('reviews.back')}</Button>
        </Flex>
      )}
    </Flex>
  );
}
