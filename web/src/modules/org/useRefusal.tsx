import { App } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/errors';

/** Shows why the server refused an action, in its own words. */
export function useRefusal() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  return (error: unknown) =>
    void message.error({
      content: <span data-testid="org-refusal">{errorMessage(error, t)}</span>,
      duration: 8,
    });
}

/** A short success toast with a test hook. */
export function useNotice() {
  const { message } = App.useApp();
  return (text: string) =>
    void message.success({ content: <span data-testid="org-notice">{text}</span> });
}
