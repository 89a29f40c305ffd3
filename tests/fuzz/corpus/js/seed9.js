exports.onExecutePostLogin = async (event, api) => {
  const roles = event.user.user_metadata?.roles;
  api.samlResponse.setAttribute('roles', roles.join(','));
  const team = event.user.app_metadata?.flex?.teams;
  api.samlResponse.setAttribute('team', 'RAMP);
};
