import { SettingsForm } from '@/components/SettingsForm';
import { SiteAccess } from '@/components/SiteAccess';
import { EvidenceList } from '@/components/EvidenceList';

export function OptionsApp() {
  return (
    <main className="options">
      <h1>AltScout settings</h1>
      <SettingsForm />
      <SiteAccess />
      <EvidenceList />
      <p>
        <a href="/models.html">All models</a>: the full ranking for captioning and generation, with prices, tiers and the reasons behind each place.
      </p>
    </main>
  );
}
