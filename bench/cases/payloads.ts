/** A Slack-style incoming-webhook body of about 300 bytes. */
export const SLACK_BODY = JSON.stringify({
  text: 'Deploy finished: api-gateway v2.41.7 rolled out to production (eu-west-1) in 4m12s',
  username: 'deploy-bot',
  icon_emoji: ':rocket:',
  attachments: [
    {
      title: 'Release notes for 2.41.7',
      title_link: 'https://example.com/releases/2.41.7',
      text: '3 fixes, 1 feature, 0 known issues',
      color: '#36a64f',
    },
  ],
});

/** Reshapes the body the way real hook scripts do (prefix, keep attachments). */
export const RESHAPING_SCRIPT = `
class Script {
  process_incoming_request({ request }) {
    const body = request.content;
    return {
      content: {
        text: '[' + body.username + '] ' + body.text,
        emoji: body.icon_emoji,
        attachments: (body.attachments || []).map((a) => ({ ...a, text: a.text.toUpperCase() })),
      },
    };
  }
}`;

export const CHAT_BODY = JSON.stringify({ channel: '#general', text: 'Build #4172 passed on main: 1,204 tests, 0 failures, coverage 87.3%' });
