import { Route, Routes } from 'react-router-dom';
import NotFoundPage from '../shell/NotFoundPage';
import DocumentsSettingsPage from './DocumentsSettingsPage';

/** /documents/settings: requisites and logo; /documents/settings/templates: proposal templates. */
export default function DocumentsRoutes() {
  return (
    <Routes>
      <Route path="settings/*" element={<DocumentsSettingsPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
