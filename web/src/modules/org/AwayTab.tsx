import { useState, type HTMLAttributes } from 'react';
import { Alert, Button, Flex, Space, Table, Tag, Typography } from 'antd';
import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import type { ApiError } from '../../api';
import { errorMessage } from '../../api/errors';
import {
  STATE_COLORS,
  absenceState,
  awayBetween,
  daysInclusive,
  formatDay,
  weekOf,
} from './absences';
import { orgApi, orgKeys, type AwayEntry, type AwayList } from './orgApi';

/** Who is away in a week (this one by default): current absences first, then upcoming ones. */
export function AwayTab() {
  const { t, i18n } = useTranslation();
  const [, setParams] = useSearchParams();
  const [offset, setOffset] = useState(0);
  const today = dayjs().format('YYYY-MM-DD');
  const { from, to } = weekOf(dayjs().add(offset, 'week'));

  const away = useQuery<AwayList, ApiError>({
    queryKey: orgKeys.away(from, to),
    queryFn: () => orgApi.away(from, to),
  });
  const rows = awayBetween(
    (away.data?.items ?? []).map((a) => ({ ...a, cancelled: a.cancelled_at !== null })),
    from,
    to,
    today,
  );

  const openPerson = (userId: number) =>
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      next.set('employee', String(userId));
      return next;
    });

  return (
    <Flex vertical gap={12}>
      <Flex wrap gap={8} align="center" justify="space-between">
        <Typography.Title level={4} style={{ margin: 0 }} data-testid="away-title">
          {offset === 0
            ? t('org.away.title')
            : t('org.away.week', {
                from: formatDay(from, i18n.language),
                to: formatDay(to, i18n.language),
              })}
        </Typography.Title>
        <Space.Compact>
          <Button
            icon={<LeftOutlined />}
            aria-label={t('org.away.prev')}
            onClick={() => setOffset(offset - 1)}
            data-testid="away-prev"
          />
          <Button onClick={() => setOffset(0)} disabled={offset === 0}>
            {t('org.away.thisWeek')}
          </Button>
          <Button
            icon={<RightOutlined />}
            aria-label={t('org.away.next')}
            onClick={() => setOffset(offset + 1)}
            data-testid="away-next"
          />
        </Space.Compact>
      </Flex>
      <Typography.Text type="secondary">
        {t('org.away.week', {
          from: formatDay(from, i18n.language),
          to: formatDay(to, i18n.language),
        })}
      </Typography.Text>
      {away.isError && <Alert type="error" showIcon message={errorMessage(away.error, t)} />}
      <Table<AwayEntry>
        data-testid="away-table"
        rowKey="id"
        size="small"
        loading={away.isPending}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('org.away.empty') }}
        onRow={(row) =>
          ({
            'data-testid': 'away-row',
            'data-user-id': row.user_id,
          }) as HTMLAttributes<HTMLElement>
        }
        columns={[
          {
            key: 'person',
            title: t('org.away.person'),
            render: (_, row) => (
              <Typography.Link onClick={() => openPerson(row.user_id)} data-testid="away-person">
                {row.full_name}
              </Typography.Link>
            ),
          },
          {
            key: 'kind',
            title: t('org.absence.kind'),
            render: (_, row) => t(`org.absence.kinds.${row.kind}`),
          },
          {
            key: 'period',
            title: t('org.away.period'),
            render: (_, row) =>
              `${formatDay(row.starts_on, i18n.language)} – ${formatDay(row.ends_on, i18n.language)} · ${t('org.absence.days', { count: daysInclusive(row) })}`,
          },
          {
            key: 'substitute',
            title: t('org.absence.substitute'),
            render: (_, row) =>
              row.substitute_user_id ? (
                <Typography.Link
                  onClick={() => openPerson(row.substitute_user_id!)}
                  data-testid="away-substitute"
                >
                  {row.substitute_full_name ?? `#${row.substitute_user_id}`}
                </Typography.Link>
              ) : (
                '—'
              ),
          },
          {
            key: 'state',
            title: t('org.employee.status'),
            render: (_, row) => {
              const state = absenceState(row, today);
              return (
                <Tag color={STATE_COLORS[state]} data-testid="away-state">
                  {t(`org.absence.states.${state}`)}
                </Tag>
              );
            },
          },
        ]}
      />
    </Flex>
  );
}
