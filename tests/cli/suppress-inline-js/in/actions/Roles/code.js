// ssolint-disable-next-line secret-in-code -- test key of the sandbox, revoked
const TWILIO_API_KEY = 'SK0123456789abcdef0123456789abcdef';
exports.onExecutePostLogin = async (event, api) => {
  const s = "// ssolint-disable-next-line secret-in-code -- inside a string";
  const authToken = "0123456789abcdef0123456789abcdef";
  /* ssolint-disable-next-line secret-in-code -- block comments do not count */
  const password = 'ABCDEF0123456789ABCDEF0123456789';
  // ssolint-disable-next-line secret-in-cod -- typo
  const k2 = 'SKffffffffffffffffffffffffffffffff';
  const k3 = 'SKeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee'; // ssolint-disable-line secrets -- the group, same line
  api.samlResponse.setAttribute('roles', event.user.app_metadata.flex.roles);
};
