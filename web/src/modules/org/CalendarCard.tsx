import { Card, Descriptions, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, type Schemas } from '../../api';
import { formatDateTime } from '../../i18n/format';
import { summariseCalendar } from './calendar';
import { orgKeys } from './orgApi';

type Working = Schemas['WorkingAnswer'];

/** The person's effective working week and whether they are at work now; hidden when unavailable. */
export function CalendarCard({ userId }: { userId: number }) {
  const { t, i18n } = useTranslation();
  const settings = useQuery({
    queryKey: [...orgKeys.employee(userId), 'calendar'],
    queryFn: async () =>
      summariseCalendar(
        await api.request<Schemas['CalendarSettings']>(`/api/v1/calendars/employees/${userId}`),
      ),
    retry: false,
  });
  const working = useQuery({
    queryKey: [...orgKeys.employee(userId), 'working'],
    queryFn: () => api.request<Working>(`/api/v1/calendars/employees/${userId}/working`),
    retry: false,
  });
  const summary = settings.data;
  if (!summary) return null;

  return (
    <Card
      size="small"
      title={t('org.employee.calendar')}
      data-testid="calendar-card"
      extra={
        <Tag color={summary.personal ? 'purple' : 'default'}>
          {t(
            summary.personal
              ? 'org.employee.calendarSources.employee'
              : 'org.employee.calendarSources.inherited',
          )}
        </Tag>
      }
    >
      {working.data && (
        <Typography.Paragraph data-testid="calendar-now">
          {working.data.working ? (
            <Tag color="green">{t('org.employee.workingNow')}</Tag>
          ) : (
            <Tag>{t('org.employee.offNow')}</Tag>
          )}
          {!working.data.working && working.data.next_working_at !== null && (
            <Typography.Text type="secondary">
              {t('org.employee.backAt', {
                at: formatDateTime(working.data.next_working_at, i18n.language),
              })}
            </Typography.Text>
          )}
        </Typography.Paragraph>
      )}
      <Descriptions column={{ xs: 1, sm: 2 }} size="small">
        {summary.days.map(({ day, hours }) => (
          <Descriptions.Item key={day} label={t(`org.employee.weekdays.${day}`)}>
            {hours ?? (
              <Typography.Text type="secondary">{t('org.employee.dayOff')}</Typography.Text>
            )}
          </Descriptions.Item>
        ))}
        {summary.timeZone && (
          <Descriptions.Item label={t('org.employee.timeZone')}>
            {summary.timeZone}
          </Descriptions.Item>
        )}
      </Descriptions>
    </Card>
  );
}
