// `revoke-key`: rotate the API key; the new key is printed once and replaces the saved one when it came from the config file.
import { type Command, UsageError } from '../command.js';
import { readLogin, writeLogin } from '../config-file.js';

export const revokeKeyCommand: Command = {
  name: 'revoke-key',
  summary: 'Revoke the current API key and issue a new one (shown once)',
  usage: 'agent-analytics revoke-key --yes',
  options: { yes: { type: 'boolean', short: 'y' } },
  async run(ctx, _positionals, values) {
    if (values.yes !== true) {
      throw new UsageError('this stops the current API key at once (every agent and script using it gets 401); re-run with --yes to rotate it');
    }
    const { api_key } = await ctx.client().revokeKey();
    let savedTo: string | null = null;
    if (ctx.settings.keySource === 'config file') savedTo = writeLogin(ctx.settings.configDir, { ...readLogin(ctx.settings.configDir), api_key });
    if (ctx.json) ctx.out(JSON.stringify({ ok: true, api_key, saved_to: savedTo }, null, 2));
    else ctx.out(`New API key (shown only once): ${api_key}\n${savedTo ? `Saved to ${savedTo}.` : 'Update AA_API_KEY (or run `agent-analytics login --key <new key>`) wherever the old key was used.'}`);
    return 0;
  },
};
