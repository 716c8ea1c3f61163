export { MyDossiersPage, MyDossiersCard, OpenActivitiesCard } from './MyDossiers.tsx';
export { DeclarationPage } from './DeclarationPage.tsx';
export { DossierShow, ReviewFormButton } from './DossierShow.tsx';
