import { useMemo } from 'react';
import { TabWorkbench } from '@/components/TabWorkbench';
import { DescribeImage } from '@/components/DescribeImage';
import { singleImageRequest } from '@/lib/ui/single-image';

/** report.html?tab=ID is the full review; with &image=URL it is the context menu's single-image view. */
export function ReportApp() {
  const single = useMemo(() => singleImageRequest(location.search), []);
  return single ? <DescribeImage request={single} /> : <TabWorkbench mode="report" />;
}
