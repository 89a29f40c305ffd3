exports.onExecutePostLogin = async (event, api) => {
  const authToken = "0123456789abcdef0123456789abcdef";
  api.samlResponse.setAttribute('roles', event.user.app_metadata.flex.roles);
};
