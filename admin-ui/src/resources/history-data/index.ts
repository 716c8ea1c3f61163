import HistoryEduOutlinedIcon from '@mui/icons-material/HistoryEduOutlined';

export { HistoryBodiesPage } from './HistoryBodiesPage.tsx';
export { HistoryUploadPage, HistoryUploadsPage } from './HistoryUploadsPage.tsx';
export { HistoryReviewsPage } from './HistoryReviewsPage.tsx';
export { HistoryCertificatesPage } from './HistoryCertificatesPage.tsx';
export const icon = HistoryEduOutlinedIcon;
