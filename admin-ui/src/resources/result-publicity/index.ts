export { FeedbackPage } from './FeedbackPage.tsx';
export { MeetingPublicityPage } from './MeetingPublicityPage.tsx';
export { PublicPublicityCard, PublicPublicityShow } from './PublicPublicity.tsx';
