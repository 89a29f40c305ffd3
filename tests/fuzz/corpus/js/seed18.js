exports.onExecutePostLogin = async (event, api) => {
  const roles = event.user.app_metadata?.flex?.roles ?? ['agent'];
  api.samlResponse.setAttribute('email', event.user.email);
  api.samlResponse.setAttribute('full_name', event.user.name);
  api.samlResponse.setAttribute('roles', roles.join(','));
};
