exports.onExecutePostLogin = async (event, api) => {
  // it's a comment, not a string
  const re = /[/]'/g;
  api.samlResponse.setAttribute('full_name', `${event.user.name}`);
  api.samlResponse.setAttribute('team, event.user.app_metadata.flex.team);
};
