import { SettingsForm } from '@/components/SettingsForm';

export function OptionsApp() {
  return (
    <main className="options">
      <h1>AltScout settings</h1>
      <SettingsForm />
    </main>
  );
}
