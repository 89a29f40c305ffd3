exports.onExecutePostLogin = async (event, api) => {
  // the Action sets the issuer at login: Flex's value cannot be judged offline
  api.samlResponse.setIssuer('urn:hhovv-' + event.connection.name);
  api.samlResponse.setAttribute('email', event.user.email);
  api.samlResponse.setAttribute('full_name', event.user.name);
  api.samlResponse.setAttribute('roles', event.user.app_metadata.flex.roles);
};
