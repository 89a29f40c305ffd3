exports.onExecutePostLogin = async (event, api) => {
  const roles = event.user.app_metadata?.flex?.roles ?? ['agent'];
  const team = event.user.app_metadata?.flex?.teams;
  api.samlResponse.setAttribute('roles', roles.join(','));
  if (team) api.samlResponse.setAttribute('team', team);
};
