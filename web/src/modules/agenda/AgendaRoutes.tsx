import { Route, Routes } from 'react-router-dom';
import NotFoundPage from '../shell/NotFoundPage';
import AgendaPage from './AgendaPage';

/** Мой день: the daily plan (`/agenda`), the head's team (`/agenda/team`) and one person's day (drill-in). */
export default function AgendaRoutes() {
  return (
    <Routes>
      <Route index element={<AgendaPage tab="day" />} />
      <Route path="team" element={<AgendaPage tab="team" />} />
      <Route path="people/:userId" element={<AgendaPage tab="person" />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
