import { ConfigError } from '@builderai/kit';
import { DEFAULT_PROJECTS_PORT, loadProjectsConfig } from '../src/config.js';

describe('projects configuration', () => {
  it('defaults to port 4003 and the standard models', () => {
    expect(loadProjectsConfig({})).toMatchObject({
      port: DEFAULT_PROJECTS_PORT,
      llms: { allowed: ['gpt-4o-mini', 'gpt-4o', 'o3-mini', 'claude-sonnet'], default: 'gpt-4o-mini' },
    });
  });

  it('prefers PROJECTS_PORT over PORT', () => {
    expect(loadProjectsConfig({ PORT: '5000', PROJECTS_PORT: '5003' }).port).toBe(5003);
    expect(loadProjectsConfig({ PORT: '5000' }).port).toBe(5000);
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
