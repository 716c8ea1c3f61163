import WorkspacePremiumOutlinedIcon from '@mui/icons-material/WorkspacePremiumOutlined';

export { IssuancePage } from './IssuancePage.tsx';
export const icon = WorkspacePremiumOutlinedIcon;
