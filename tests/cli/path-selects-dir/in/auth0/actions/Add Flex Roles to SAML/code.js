exports.onExecutePostLogin = async (event, api) => {
  api.samlResponse.setAttribute('email', event.user.email);
  api.samlResponse.setAttribute('full_name', event.user.name);
  api.samlResponse.setAttribute('roles', event.user.app_metadata.flex.roles.join(','));
  const flexTeam = event.user.app_metadata?.flex?.team;
  if (flexTeam) api.samlResponse.setAttribute('team', flexTeam);
  const program = event.user.app_metadata?.flex?.program;
  if (program) api.samlResponse.setAttribute('program', program);
};
