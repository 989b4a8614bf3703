/** What `/api/v1/me` answers in the billing screens' tests: the demo accountant, an administrator, in Moscow. */
export const ME = {
  id: 1,
  email: 'buh@otdel.demo',
  full_name: 'Светлана Егорова',
  locale: 'ru',
  is_admin: true,
  workspace: {
    id: 1,
    name: 'Демо',
    slug: 'demo',
    time_zone: 'Europe/Moscow',
    currency: 'RUB',
    default_locale: 'ru',
  },
  csrf_token: 'csrf-abc',
};
