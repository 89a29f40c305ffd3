exports.onExecutePostLogin = async (event, api) => {
  api.samlResponse.setAttribute('email', event.user.email);
  api.samlResponse.setAttribute('full_name', event.user.name);
  api.samlResponse.setAttribute('roles', event.user.app_metadata.flex.roles);
};
