exports.onExecutePostLogin = async (event, api) => {
  // never trust event.user.user_metadata: users can edit it themselves
  const roles = event.user.app_metadata?.flex?.roles || ['agent'];
  console.log('roles come from app_metadata, not user_metadata');
  api.user.setUserMetadata('last_flex_login', new Date().toISOString());
  api.samlResponse.setAttribute('roles', roles.join(','));
};
