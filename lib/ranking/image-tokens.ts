import type { Model } from '../catalog/schema';

/**
 * Input tokens one image costs, by the model family's published rule. Families are told apart
 * by the catalog's `tokenizer` and the model id. Each rule is tested in tests/unit/ranking-cost.test.ts.
 *
 * | family | rule (source: the vendor's vision / pricing docs) |
 * |---|---|
 * | OpenAI tiles (gpt-4o, gpt-4.1, o1, o3, gpt-5, gpt-5.x) | fit in 2048², short side to 768, 512 px tiles: base + per tile (4o/4.1: 85+170; gpt-5.x: 70+140; o-series: 75+150; 4o-mini: 2833+5667) |
 * | OpenAI patches (gpt-4.1-mini/nano, gpt-5-mini/nano, gpt-5.x mini/nano, o4-mini) | 32 px patches (cap 1536) × multiplier (mini 1.62, nano 2.46, o4-mini 1.72) |
 * | Anthropic Claude | width × height / 750 |
 * | Gemini 2.x (and Gemma 4, which shares its tokenizer) | 258 per image when both sides ≤ 384 px, else 258 per 768 px tile |
 * | Gemma 3 | fixed 256 (every image is resized to 896²) |
 * | Gemini 3.x | media_resolution high (default for images): 1120 per image |
 * | Qwen2.5-VL | 28 px patches (14 px, 2×2 merge) after rounding each side to 28, + 2 markers |
 * | Qwen3-VL / Qwen3.x | 32 px patches (16 px, 2×2 merge), + 2 markers |
 * | Llama 4 | 336 px tiles of 144 tokens, plus one global tile when there is more than one |
 * | Mistral (Pixtral-style) | 28 px patches (14 px, 2×2 merge) + one break token per row |
 * | Grok | 448 px tiles of 256 tokens + 1, at most 6 tiles |
 * | Amazon Nova | width × height / 750, like Claude (Nova's published table is close to it) |
 * | anything else | 1,000 (a cautious middle: most ViT encoders land 500–1,500 at 768 px) |
 */
export interface ImageSize {
  width: number;
  height: number;
}

export type ImageFamily =
  | 'openai-tiles' | 'openai-patches' | 'claude' | 'gemini' | 'gemini-3' | 'gemma-3' | 'qwen2.5-vl' | 'qwen3-vl'
  | 'llama-4' | 'mistral' | 'grok' | 'nova' | 'default';

export const DEFAULT_IMAGE_TOKENS = 1000;

export function imageFamily(model: Pick<Model, 'id' | 'tokenizer'>): ImageFamily {
  const id = model.id.toLowerCase().replace(/^~/, '');
  const tok = (model.tokenizer ?? '').toLowerCase();
  if (tok === 'gpt' || id.startsWith('openai/')) {
    return /(4\.1-(mini|nano)|5(\.\d+)?-(mini|nano)|o4-mini)/.test(id) ? 'openai-patches' : 'openai-tiles';
  }
  if (tok === 'claude' || id.startsWith('anthropic/')) return 'claude';
  if (/gemma-3/.test(id)) return 'gemma-3';
  if (id.startsWith('google/gemini-3') || /gemini-(pro|flash)-latest/.test(id)) return 'gemini-3';
  if (tok === 'gemini' || tok === 'gemma' || id.startsWith('google/')) return 'gemini';
  if (/qwen2(\.5)?-vl/.test(id)) return 'qwen2.5-vl';
  if (tok === 'qwen3' || tok === 'qwen' || id.startsWith('qwen/')) return 'qwen3-vl';
  if (tok === 'llama4' || /llama-4/.test(id)) return 'llama-4';
  if (tok === 'mistral' || id.startsWith('mistralai/')) return 'mistral';
  if (tok === 'grok' || id.startsWith('x-ai/')) return 'grok';
  if (tok === 'nova' || id.startsWith('amazon/nova')) return 'nova';
  return 'default';
}

function openAiTiles(id: string, { width, height }: ImageSize): number {
  const [base, perTile] = /4o-mini/.test(id) ? [2833, 5667] : /\/o\d/.test(id) ? [75, 150] : /gpt-5/.test(id) ? [70, 140] : [85, 170];
  let scale = Math.min(1, 2048 / Math.max(width, height));
  let w = width * scale;
  let h = height * scale;
  scale = Math.min(1, 768 / Math.min(w, h));
  w *= scale;
  h *= scale;
  return base + perTile * Math.ceil(w / 512) * Math.ceil(h / 512);
}

function openAiPatches(id: string, { width, height }: ImageSize): number {
  const multiplier = /o4-mini/.test(id) ? 1.72 : /nano/.test(id) ? 2.46 : 1.62;
  let patches = Math.ceil(width / 32) * Math.ceil(height / 32);
  if (patches > 1536) {
    const shrink = Math.sqrt((1536 * 32 * 32) / (width * height));
    patches = Math.min(1536, Math.ceil((width * shrink) / 32) * Math.ceil((height * shrink) / 32));
  }
  return Math.ceil(patches * multiplier);
}

const roundTo = (n: number, step: number) => Math.max(step, Math.round(n / step) * step);

export function imageTokens(model: Pick<Model, 'id' | 'tokenizer'>, size: ImageSize): number {
  const { width, height } = size;
  switch (imageFamily(model)) {
    case 'openai-tiles':
      return openAiTiles(model.id, size);
    case 'openai-patches':
      return openAiPatches(model.id, size);
    case 'claude':
    case 'nova':
      return Math.ceil((width * height) / 750);
    case 'gemini':
      return width <= 384 && height <= 384 ? 258 : 258 * Math.ceil(width / 768) * Math.ceil(height / 768);
    case 'gemini-3':
      return 1120;
    case 'gemma-3':
      return 256;
    case 'qwen2.5-vl':
      return (roundTo(width, 28) / 28) * (roundTo(height, 28) / 28) + 2;
    case 'qwen3-vl':
      return (roundTo(width, 32) / 32) * (roundTo(height, 32) / 32) + 2;
    case 'llama-4': {
      const tiles = Math.ceil(width / 336) * Math.ceil(height / 336);
      return 144 * (tiles + (tiles > 1 ? 1 : 0));
    }
    case 'mistral': {
      const rows = Math.ceil(height / 28);
      return Math.ceil(width / 28) * rows + rows;
    }
    case 'grok':
      return 256 * Math.min(6, Math.ceil(width / 448) * Math.ceil(height / 448)) + 1;
    default:
      return DEFAULT_IMAGE_TOKENS;
  }
}
