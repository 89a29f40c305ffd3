exports.onExecutePostLogin = async (event, api) => {
  const flex = event.user.app_metadata.flex || {};
  api.samlResponse.setAttribute('email', event.user.email);
  api.samlResponse.setAttribute('full_name', event.user.name);
  api.samlResponse.setAttribute('roles', (flex.roles || ['agent']).join(','));
  if (flex.teams) api.samlResponse.setAttribute('team', flex.teams);
  if (flex.hasOwnProperty('team')) api.samlResponse.setAttribute('program', flex?.['progam']);
  let { flex: f = {} } = event.user.app_metadata;
  const label = f.teamName;
  const { roles, team, departmnt, ...rest } = event.user.app_metadata?.flex ?? {};
  const { role } = flex;
  const other = event.user.user_metadata.flex; // not app_metadata: not followed
  api.samlResponse.setAttribute('x', other.teams + label + roles + team + departmnt + rest + role);
};
