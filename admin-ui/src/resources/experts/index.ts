import PeopleAltIcon from '@mui/icons-material/PeopleAlt';

export { ExpertsPage } from './ExpertsPage.tsx';
export { ExpertPoolsPage } from './ExpertPoolsPage.tsx';
export const icon = PeopleAltIcon;
