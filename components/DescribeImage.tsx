import { useCallback, useEffect, useRef, useState } from 'react';
import type { Job } from '@/lib/jobs/schema';
import { shortName } from '@/lib/ui/cost';
import { formatUsd } from '@/lib/money';
import type { SingleImageRequest } from '@/lib/ui/single-image';
import { isLive } from '@/lib/ui/follow-job';
import { errorText, usePlatform, type Platform } from './api';
import { originsForImages } from './host-access';
import { useAccessRequest } from './hooks/useAccessRequest';
import { useJob } from './hooks/useJob';
import { useModelChoice } from './hooks/useModelChoice';
import { HostAccessPrompt } from './HostAccessPrompt';
import { startJob } from './start-job';

/** One paid call per window, even when React runs the effect twice (StrictMode in development). */
const startedJobs = new Map<string, Promise<Job>>();
function startOnce(platform: Platform, request: SingleImageRequest, modelId: string): Promise<Job> {
  const key = JSON.stringify(request);
  if (!startedJobs.has(key)) {
    startedJobs.set(key, startJob(platform, { tabId: request.tabId, modelId, target: { kind: 'image', frameId: request.frameId, src: request.src } }));
  }
  return startedJobs.get(key)!;
}

/** The context menu's window: one image, described with the chosen model, text ready to copy. */
export function DescribeImage({ request }: { request: SingleImageRequest }) {
  const platform = usePlatform();
  const [jobId, setJobId] = useState<string | null>(null);
  const [text, setText] = useState<string | null>(null);
  const [message, setMessage] = useState('Choosing a model…');
  const { model, ranking, loadError } = useModelChoice();
  const { job, answered } = useJob({ id: jobId });
  const access = useAccessRequest(setMessage);
  const modelName = model ? shortName(model.name) : '';

  const start = useCallback(
    (modelId: string) =>
      startOnce(platform, request, modelId).then(
        (started) => {
          answered(started);
          setJobId(started.id);
        },
        (e) => setMessage(`Could not describe the image: ${errorText(e)}`),
      ),
    [platform, request, answered],
  );

  // Once the model is known (and AltScout may read the image's site), describe the image, once:
  // a model picked on another page meanwhile does not start a second paid call.
  const begun = useRef(false);
  const { ensure } = access;
  useEffect(() => {
    if (begun.current) return;
    if (loadError) return setMessage(`Could not describe the image: ${loadError}`);
    if (!ranking) return;
    begun.current = true;
    if (!model) return setMessage('Could not describe the image: No captioning model is available. Check the API base URL in settings.');
    setMessage(`Describing with ${shortName(model.name)}…`);
    void ensure(originsForImages([request.src], request.pageUrl), 'to read this image', () => void start(model.id)).then((ok) => {
      if (ok) void start(model.id);
    });
  }, [ranking, model, loadError, ensure, start, request.src]);

  useEffect(() => {
    if (!job || isLive(job)) return;
    const item = job.items[0];
    if (item?.state === 'done') {
      setText((t) => t ?? item.alt ?? '');
      setMessage(item.decorative && !item.alt ? 'The model judged this image decorative: use alt="".' : `Described by ${modelName} for ${formatUsd(job.costUsd)}.`);
    } else {
      setMessage(job.error?.message ?? item?.error ?? 'The image could not be described.');
    }
  }, [job, modelName]);

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
      {access.need && <HostAccessPrompt need={access.need} onChoose={access.grant} onCancel={access.dismiss} />}
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
