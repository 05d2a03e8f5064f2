import { useEffect, useState } from 'react';
import type { Job } from '@/lib/jobs/schema';
import { readSettings } from '@/lib/storage';
import { resolveModel } from '@/lib/ui/models';
import { shortName } from '@/lib/ui/cost';
import { formatUsd } from '@/lib/money';
import { singleImageItem, type SingleImageRequest } from '@/lib/ui/single-image';
import { errorText, usePlatform } from './api';

const POLL_MS = 400;
/** One paid call per window, even when React runs the effect twice (StrictMode in development). */
const startedJobs = new Map<string, Promise<Job>>();

/** The context menu's window: one image, described with the chosen model, text ready to copy. */
export function DescribeImage({ request }: { request: SingleImageRequest }) {
  const platform = usePlatform();
  const [job, setJob] = useState<Job | null>(null);
  const [modelName, setModelName] = useState('');
  const [text, setText] = useState<string | null>(null);
  const [message, setMessage] = useState('Choosing a model…');

  useEffect(() => {
    let cancelled = false;
    (async () => {
      const [{ value: settings }, ranking] = await Promise.all([readSettings(), platform.send('getRanking', { task: 'captioning' })]);
      const model = resolveModel(ranking, settings.modelId);
      if (!model) throw new Error('No captioning model is available. Check the API base URL in settings.');
      if (cancelled) return;
      setModelName(shortName(model.name));
      setMessage(`Describing with ${shortName(model.name)}…`);
      const key = JSON.stringify(request);
      if (!startedJobs.has(key)) {
        startedJobs.set(key, platform.send('startJob', {
          tabId: request.tabId,
          pageUrl: request.pageUrl,
          modelId: model.id,
          items: [singleImageItem(request)],
          options: { language: settings.language || undefined, length: settings.length },
        }));
      }
      const started = await startedJobs.get(key)!;
      if (!cancelled) setJob(started);
    })().catch((e) => !cancelled && setMessage(`Could not describe the image: ${errorText(e)}`));
    return () => {
      cancelled = true;
    };
  }, [platform, request]);

  useEffect(() => {
    if (!job) return;
    const item = job.items[0];
    if (job.state === 'running' || job.state === 'paused') {
      const timer = setTimeout(() => platform.send('getJob', { id: job.id }).then((next) => next && setJob(next), (e) => setMessage(errorText(e))), POLL_MS);
      return () => clearTimeout(timer);
    }
    if (item?.state === 'done') {
      setText((t) => t ?? item.alt ?? '');
      setMessage(item.decorative && !item.alt ? 'The model judged this image decorative: use alt="".' : `Described by ${modelName} for ${formatUsd(job.costUsd)}.`);
    } else {
      setMessage(job.error?.message ?? item?.error ?? 'The image could not be described.');
    }
  }, [job, platform, modelName]);

  async function copy() {
    try {
      await platform.copy(text ?? '');
      setMessage('Copied.');
    } catch (e) {
      setMessage(`Could not copy: ${errorText(e)}`);
    }
  }

  return (
    <main className="popup">
      <h1>Describe this image</h1>
      <img className="preview" src={request.src} alt="" referrerPolicy="no-referrer" />
      <p role="status" aria-label="Description status">
        {message}
      </p>
      {text != null && (
        <>
          <label htmlFor="single-alt">Alt text for this image</label>
          <textarea id="single-alt" rows={4} maxLength={2000} value={text} onChange={(e) => setText(e.target.value)} />
          <div className="row">
            <button type="button" className="primary" onClick={copy}>
              Copy
            </button>
          </div>
        </>
      )}
      {job?.error?.action === 'open-options' && (
        <button type="button" onClick={() => void platform.openOptions()}>
          Open settings
        </button>
      )}
    </main>
  );
}
