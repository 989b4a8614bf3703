import { Route, Routes } from 'react-router-dom';
import CatalogPage from '../catalog/CatalogPage';
import NotFoundPage from '../shell/NotFoundPage';
import DealsPage from './DealsPage';
import PipelineSettingsPage from './PipelineSettingsPage';

/** /deals: the kanban or list (/deals/:id opens a deal over it), the pipeline settings and the catalog. */
export default function DealsRoutes() {
  return (
    <Routes>
      <Route path="settings" element={<PipelineSettingsPage />} />
      <Route path="catalog" element={<CatalogPage />} />
      <Route path=":id?" element={<DealsPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
