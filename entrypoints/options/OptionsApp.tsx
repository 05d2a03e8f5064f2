import { SettingsForm } from '@/components/SettingsForm';

export function OptionsApp() {
  return (
    <main className="options">
      <h1>AltScout settings</h1>
      <SettingsForm />
      <p>
        <a href="/models.html">All models</a>: the full ranking for captioning and generation, with prices, tiers and the reasons behind each place.
      </p>
    </main>
  );
}
