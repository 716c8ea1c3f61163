import VerifiedOutlinedIcon from '@mui/icons-material/VerifiedOutlined';

export { MyRecognitionsPage } from './MyRecognitionsPage.tsx';
export { RecognitionReviewsPage } from './RecognitionReviewsPage.tsx';
export const icon = VerifiedOutlinedIcon;
