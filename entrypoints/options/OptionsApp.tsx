import { SettingsForm } from '@/components/SettingsForm';
import { SiteAccess } from '@/components/SiteAccess';

export function OptionsApp() {
  return (
    <main className="options">
      <h1>AltScout settings</h1>
      <SettingsForm />
      <SiteAccess />
      <p>
        <a href="/models.html">All models</a>: the full ranking for captioning and generation, with prices, tiers and the reasons behind each place.
      </p>
    </main>
  );
}
