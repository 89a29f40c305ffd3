exports.onExecutePostLogin = async (event, api) => {
  const roles = event.user.user_metadata?.roles || event.user.app_metadata?.flex?.roles || ['agent'];
  const { team } = event.user['user_metadata'] || {};
  api.samlResponse.setAttribute('roles', roles.join(','));
  api.samlResponse.setAttribute('team', team);
};
