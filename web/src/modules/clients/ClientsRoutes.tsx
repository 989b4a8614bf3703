import { Route, Routes } from 'react-router-dom';
import NotFoundPage from '../shell/NotFoundPage';
import { CompanyCard } from './CompanyCard';
import { ContactCard } from './ContactCard';
import ClientsPage from './ClientsPage';

/** /clients: the lists (companies, contacts, duplicates) and the cards. */
export default function ClientsRoutes() {
  return (
    <Routes>
      <Route index element={<ClientsPage tab="companies" />} />
      <Route path="contacts" element={<ClientsPage tab="contacts" />} />
      <Route path="duplicates" element={<ClientsPage tab="duplicates" />} />
      <Route path="companies/:id" element={<CompanyCard />} />
      <Route path="contacts/:id" element={<ContactCard />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
