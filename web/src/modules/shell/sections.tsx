import type { ReactNode } from 'react';
import {
  AccountBookOutlined,
  AudioOutlined,
  AimOutlined,
  ApartmentOutlined,
  BarChartOutlined,
  CalendarOutlined,
  CarOutlined,
  CustomerServiceOutlined,
  DashboardOutlined,
  FieldTimeOutlined,
  FundProjectionScreenOutlined,
  ScheduleOutlined,
  SettingOutlined,
  SolutionOutlined,
  TeamOutlined,
} from '@ant-design/icons';

export interface Section {
  /** Route path segment and the i18n key under shell.menu. */
  key: string;
  icon: ReactNode;
}

/** The rooms of the product, in menu order; each gets a route. */
export const SECTIONS: readonly Section[] = [
  { key: 'agenda', icon: <ScheduleOutlined /> },
  { key: 'dashboard', icon: <DashboardOutlined /> },
  { key: 'leads', icon: <AimOutlined /> },
  { key: 'clients', icon: <TeamOutlined /> },
  { key: 'deals', icon: <FundProjectionScreenOutlined /> },
  { key: 'billing', icon: <AccountBookOutlined /> },
  { key: 'shipments', icon: <CarOutlined /> },
  { key: 'activities', icon: <CalendarOutlined /> },
  { key: 'calendar', icon: <FieldTimeOutlined /> },
  { key: 'reviews', icon: <AudioOutlined /> },
  { key: 'plans', icon: <SolutionOutlined /> },
  { key: 'reports', icon: <BarChartOutlined /> },
  { key: 'organisation', icon: <ApartmentOutlined /> },
  { key: 'support', icon: <CustomerServiceOutlined /> },
  { key: 'settings', icon: <SettingOutlined /> },
];
