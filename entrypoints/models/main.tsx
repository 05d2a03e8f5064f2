import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ModelsPage } from '@/components/ModelsPage';
import { taskFromSearch } from '@/lib/ui/models';
import '@/components/theme.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ModelsPage initialTask={taskFromSearch(location.search)} />
  </StrictMode>,
);
