import { Skeleton } from 'antd';
import { Navigate } from 'react-router-dom';
import { useMe } from '../auth/session';
import { useDay } from './agendaApi';

/** The home route: a seller starts on their daily plan; heads and administrators on the dashboard. */
export default function HomeRedirect() {
  const me = useMe();
  const admin = me.data?.is_admin ?? false;
  const day = useDay(undefined, undefined, !admin && me.isSuccess);
  if (admin) return <Navigate to="/dashboard" replace />;
  if (!me.isSuccess || day.isLoading) return <Skeleton active />;
  return <Navigate to={day.data && !day.data.has_team ? '/agenda' : '/dashboard'} replace />;
}
