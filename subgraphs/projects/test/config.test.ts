import { ConfigError } from '@builderai/kit';
import { loadProjectsConfig } from '../src/config.js';

describe('projects configuration', () => {
  it('defaults to the standard models', () => {
    expect(loadProjectsConfig({})).toMatchObject({
      llms: { allowed: ['gpt-4o-mini', 'gpt-4o', 'o3-mini', 'claude-sonnet'], default: 'gpt-4o-mini' },
    });
  });

  it('reads the allowed models as a comma list', () => {
    const config = loadProjectsConfig({ PROJECTS_LLMS: ' llama-3 , gpt-4o,,gpt-4o ', PROJECTS_DEFAULT_LLM: 'llama-3' });
    expect(config.llms).toEqual({ allowed: ['llama-3', 'gpt-4o'], default: 'llama-3' });
  });

  it('names the variable when the default model is not allowed or no model is', () => {
    expect(() => loadProjectsConfig({ PROJECTS_LLMS: 'gpt-4o' })).toThrow(ConfigError);
    expect(() => loadProjectsConfig({ PROJECTS_LLMS: 'gpt-4o' })).toThrow(/PROJECTS_DEFAULT_LLM: must be one of PROJECTS_LLMS/);
    expect(() => loadProjectsConfig({ PROJECTS_LLMS: ' , ' })).toThrow(/PROJECTS_LLMS/);
  });
});
