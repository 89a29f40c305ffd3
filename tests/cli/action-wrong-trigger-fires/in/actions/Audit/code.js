exports.onExecuteCredentialsExchange = async (event, api) => {
  console.log(event.client.client_id);
};
