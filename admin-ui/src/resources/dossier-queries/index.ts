import QueryStatsIcon from '@mui/icons-material/QueryStats';

export { DossierQueryPage } from './DossierQueryPage.tsx';
export { ForwardedDossierPage } from './ForwardedDossierPage.tsx';
export const icon = QueryStatsIcon;
