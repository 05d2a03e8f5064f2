import { TabWorkbench } from '@/components/TabWorkbench';

export function App() {
  return <TabWorkbench mode="popup" />;
}
