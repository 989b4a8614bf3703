import { Route, Routes } from 'react-router-dom';
import TasksPage from './TasksPage';

/** /activities: "My tasks" and the team's. */
export default function ActivitiesRoutes() {
  return (
    <Routes>
      <Route index element={<TasksPage />} />
      <Route path="*" element={<TasksPage />} />
    </Routes>
  );
}
