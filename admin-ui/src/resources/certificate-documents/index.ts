import WorkspacePremiumIcon from '@mui/icons-material/WorkspacePremium';

export { CertificateKeysPage } from './CertificateKeysPage.tsx';
export { IssuedCertificatesPage } from './IssuedCertificatesPage.tsx';
export { DossierCertificate } from './MyCertificate.tsx';
export { VerifyPage } from './VerifyPage.tsx';
export const icon = WorkspacePremiumIcon;
