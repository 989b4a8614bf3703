import { useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Flex, Skeleton, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../api';
import { errorMessage } from '../../api/errors';
import {
  RESPONSE_STATUSES,
  routingApi,
  routingKeys,
  type ResponseStatus,
  type RoutingSettings,
} from './routingApi';

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x) => b.includes(x));

/** Which lead status changes stop the first-response clock (workspace-wide; rule editors only). */
export function ResponseSettingsCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const settings = useQuery<RoutingSettings, ApiError>({
    queryKey: routingKeys.settings(),
    queryFn: () => routingApi.settings(),
  });
  const saved = settings.data?.response_statuses;
  // What the user ticked since the last save; until then the saved choice is shown.
  const [edited, setEdited] = useState<ResponseStatus[] | null>(null);
  const value = edited ?? saved ?? [];

  const save = useMutation<RoutingSettings, ApiError, ResponseStatus[]>({
    mutationFn: (response_statuses) => routingApi.putSettings({ response_statuses }),
    onSuccess: (updated) => {
      queryClient.setQueryData(routingKeys.settings(), updated);
      setEdited(null);
      void message.success(t('routing.settings.saved'));
    },
    onError: (error) => void message.error(errorMessage(error, t)),
  });

  const dirty = saved !== undefined && !sameSet(saved, value);

  return (
    <Card size="small" title={t('routing.settings.title')} data-testid="routing-settings">
      <Typography.Paragraph type="secondary">{t('routing.settings.help')}</Typography.Paragraph>
      {settings.isError && (
        <Alert type="error" showIcon message={errorMessage(settings.error, t)} />
      )}
      {settings.isPending ? (
        <Skeleton active paragraph={{ rows: 1 }} title={false} />
      ) : (
        settings.data && (
          <Flex gap={16} align="center" wrap>
            <Checkbox.Group<ResponseStatus>
              value={value}
              onChange={(next) => setEdited(next)}
              disabled={save.isPending}
              data-testid="routing-settings-statuses"
              options={RESPONSE_STATUSES.map((status) => ({
                value: status,
                label: (
                  <span data-testid={`routing-settings-${status}`}>
                    {t('routing.settings.status', { status: t(`leads.status.${status}`) })}
                  </span>
                ),
              }))}
            />
            <Button
              type="primary"
              disabled={!dirty}
              loading={save.isPending}
              data-testid="routing-settings-save"
              onClick={() => save.mutate(RESPONSE_STATUSES.filter((s) => value.includes(s)))}
            >
              {t('common.save')}
            </Button>
          </Flex>
        )
      )}
      {settings.data && value.length === 0 && (
        <Typography.Text
          type="secondary"
          style={{ display: 'block', marginTop: 8 }}
          data-testid="routing-settings-none"
        >
          {t('routing.settings.none')}
        </Typography.Text>
      )}
    </Card>
  );
}
