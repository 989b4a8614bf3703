import { Route, Routes } from 'react-router-dom';
import NotFoundPage from '../shell/NotFoundPage';
import ReviewEditor from './ReviewEditor';
import ReviewsPage from './ReviewsPage';

/** Разбор звонков: the queue and lists (`/reviews`), a new review of an activity, an existing review. */
export default function ReviewsRoutes() {
  return (
    <Routes>
      <Route index element={<ReviewsPage />} />
      <Route path="new/:activityId" element={<ReviewEditor mode="new" />} />
      <Route path=":id" element={<ReviewEditor mode="view" />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
