/**
 * Add Flex Roles to SAML - NSS (Pattern A: one organization, many programs).
 * Sends the Flex attributes Twilio reads: email, full_name, roles, and team.
 */
exports.onExecutePostLogin = async (event, api) => {
  const flex = event.user.app_metadata?.flex;
  const flexRoles = flex?.roles?.length ? flex.roles : ['agent'];

  api.samlResponse.setAttribute('email', event.user.email);
  api.samlResponse.setAttribute('full_name', event.user.name);
  api.samlResponse.setAttribute('roles', flexRoles.join(','));

  // Admins have no team: they see every team.
  const flexTeam = event.user.app_metadata?.flex?.team;
  if (flexTeam) {
    api.samlResponse.setAttribute('team', flexTeam);
  }
  const program = `${event.user.app_metadata?.program ?? ''}`;
  if (program !== '') {
    api.samlResponse.setAttribute('program', program);
  }
};
