exports.onExecutePostLogin = async (event, api) => {
  const flex = event.user.app_metadata.flex || {};
  const attributes = { email: event.user.email, full_name: event.user.name, roles: flex.roles };
  for (const [name, value] of Object.entries(attributes)) {
    api.samlResponse.setAttribute(name, value);
  }
};
