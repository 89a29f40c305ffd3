/* a block comment with an unbalanced ( bracket and a ' quote */
exports.onExecutePostLogin = async (event, api) => {
  // api.samlResponse.setAttribute('team', t); }
  const half = event.stats.logins_count / 2 / 1;
  const ok = /^[a-z]+\/(x)$/.test('a/x');
  const t = `roles: ${['a', 'b'].map((r) => `<${r}>`).join('')}`;
  if (ok) /re/.test(t);
  api.samlResponse.setAttribute('roles', [t, half]);
};
