// The models chat can answer with (CHAT_MODELS) and their providers: OpenAI, Anthropic and
// Google through their OpenAI-compatible endpoints, and any OpenAI-compatible server (Ollama,
// vLLM, LM Studio) at LOCAL_LLM_BASE_URL. A model is available once its provider is configured.
import { z } from 'zod';
import { variable, jsonText } from '@builderai/kit';

export const PROVIDERS = {
  openai: { baseUrl: 'https://api.openai.com/v1', keyVariable: 'OPENAI_API_KEY', urlVariable: 'OPENAI_BASE_URL' },
  anthropic: { baseUrl: 'https://api.anthropic.com/v1/', keyVariable: 'ANTHROPIC_API_KEY', urlVariable: 'ANTHROPIC_BASE_URL' },
  google: { baseUrl: 'https://generativelanguage.googleapis.com/v1beta/openai/', keyVariable: 'GOOGLE_API_KEY', urlVariable: 'GOOGLE_BASE_URL' },
  local: { baseUrl: undefined, keyVariable: 'LOCAL_LLM_API_KEY', urlVariable: 'LOCAL_LLM_BASE_URL' },
} as const;
export type ProviderName = keyof typeof PROVIDERS;

const modelSchema = z.object({
  /** The name projects use (Project.llm). */
  id: z.string().min(1),
  provider: z.enum(Object.keys(PROVIDERS) as [ProviderName, ...ProviderName[]]),
  /** The provider's own name for it, when not `id`. */
  model: z.string().min(1).optional(),
  contextWindow: z.number().int().positive(),
  /** Tokens of the window kept free for the answer; a quarter of the window, at most 4096, by default. */
  maxOutputTokens: z.number().int().positive().optional(),
  /** US dollars per million input and output tokens. */
  inputUsdPerMTok: z.number().nonnegative().default(0),
  outputUsdPerMTok: z.number().nonnegative().default(0),
}).refine((spec) => (spec.maxOutputTokens ?? 0) < spec.contextWindow, { message: 'maxOutputTokens must be less than contextWindow', path: ['maxOutputTokens'] });
export type ModelSpec = z.infer<typeof modelSchema>;

/**
 * Tokens the request may use: the window less what is kept for the answer. The reserve is not
 * sent as a limit (providers name it differently); it only keeps the history short enough.
 */
export const inputBudget = (spec: ModelSpec) => spec.contextWindow - (spec.maxOutputTokens ?? Math.min(4096, Math.floor(spec.contextWindow / 4)));

const DEFAULT_MODELS: ModelSpec[] = [
  { id: 'gpt-4o-mini', provider: 'openai', contextWindow: 128_000, inputUsdPerMTok: 0.15, outputUsdPerMTok: 0.6 },
  { id: 'gpt-4o', provider: 'openai', contextWindow: 128_000, inputUsdPerMTok: 2.5, outputUsdPerMTok: 10 },
  { id: 'o3-mini', provider: 'openai', contextWindow: 200_000, inputUsdPerMTok: 1.1, outputUsdPerMTok: 4.4 },
  { id: 'claude-sonnet', provider: 'anthropic', model: 'claude-sonnet-4-5', contextWindow: 200_000, inputUsdPerMTok: 3, outputUsdPerMTok: 15 },
];

const jsonModels = jsonText(z.array(modelSchema).min(1), 'an array of models');

export const modelVariables = variable('CHAT_MODELS', jsonModels.default(JSON.stringify(DEFAULT_MODELS)));

const optional = z.string().trim().min(1).optional();
export const providerVariables = Object.fromEntries(
  Object.entries(PROVIDERS).map(([name, provider]) => [name, { apiKey: variable(provider.keyVariable, optional), baseUrl: variable(provider.urlVariable, z.string().url().optional()) }]),
) as Record<ProviderName, { apiKey: readonly [string, typeof optional]; baseUrl: readonly [string, z.ZodOptional<z.ZodString>] }>;

export interface ProviderSettings {
  apiKey?: string;
  baseUrl?: string;
}

/** Where a model's provider is, or why it cannot be used (the variable to set). */
export function endpointOf(spec: ModelSpec, providers: Record<ProviderName, ProviderSettings>): { baseUrl: string; apiKey: string } | { missing: string } {
  const provider = PROVIDERS[spec.provider];
  const settings = providers[spec.provider];
  const baseUrl = settings.baseUrl ?? provider.baseUrl;
  if (!baseUrl) return { missing: provider.urlVariable };
  // Local servers usually take any key; the hosted ones need theirs.
  if (!settings.apiKey && spec.provider !== 'local') return { missing: provider.keyVariable };
  return { baseUrl, apiKey: settings.apiKey ?? 'none' };
}
