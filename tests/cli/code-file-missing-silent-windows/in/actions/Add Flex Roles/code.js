exports.onExecutePostLogin = async (event, api) => {
  const flex = event.user.app_metadata.flex || {};
  api.samlResponse.setAttribute('email', event.user.email);
  api.samlResponse.setAttribute('full_name', event.user.name);
  api.samlResponse.setAttribute('roles', (flex.roles || ['agent']).join(','));
};
