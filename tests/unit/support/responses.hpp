#pragma once

// Response bodies shaped like the ones in the wire reference, for client tests.

#include <string>

namespace sfdc::bulk::testing {

inline std::string jobInfoXml(const std::string& id, const std::string& operation,
                              const std::string& object, const std::string& state,
                              const std::string& contentType, const std::string& extra = "") {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><jobInfo\n"
         "   xmlns=\"http://www.force.com/2009/06/asyncapi/dataload\">\n"
         " <id>" +
         id + "</id>\n <operation>" + operation + "</operation>\n <object>" + object +
         "</object>\n <createdById>005D0000001b0fFIAQ</createdById>\n"
         " <createdDate>2015-12-15T21:41:45.000Z</createdDate>\n"
         " <systemModstamp>2015-12-15T21:41:45.000Z</systemModstamp>\n <state>" +
         state + "</state>\n" + extra +
         " <concurrencyMode>Parallel</concurrencyMode>\n <contentType>" + contentType +
         "</contentType>\n <numberBatchesQueued>0</numberBatchesQueued>\n"
         " <numberBatchesInProgress>0</numberBatchesInProgress>\n"
         " <numberBatchesCompleted>0</numberBatchesCompleted>\n"
         " <numberBatchesFailed>0</numberBatchesFailed>\n"
         " <numberBatchesTotal>0</numberBatchesTotal>\n"
         " <numberRecordsProcessed>0</numberRecordsProcessed>\n"
         " <numberRetries>0</numberRetries>\n <apiVersion>59.0</apiVersion>\n"
         " <numberRecordsFailed>0</numberRecordsFailed>\n"
         " <totalProcessingTime>0</totalProcessingTime>\n"
         " <apiActiveProcessingTime>0</apiActiveProcessingTime>\n"
         " <apexProcessingTime>0</apexProcessingTime>\n</jobInfo>";
}

inline std::string jobInfoJson(const std::string& id, const std::string& operation,
                               const std::string& object, const std::string& state) {
  return R"({"apexProcessingTime":0,"apiActiveProcessingTime":0,"apiVersion":59.0,)"
         R"("concurrencyMode":"Parallel","contentType":"JSON","createdById":"005D0000001b0fFIAQ",)"
         R"("createdDate":"2015-12-15T20:45:25.000+0000","id":")" +
         id +
         R"(","numberBatchesCompleted":0,"numberBatchesFailed":0,"numberBatchesInProgress":0,)"
         R"("numberBatchesQueued":0,"numberBatchesTotal":0,"numberRecordsFailed":0,)"
         R"("numberRecordsProcessed":0,"numberRetries":0,"object":")" +
         object + R"(","operation":")" + operation + R"(","state":")" + state +
         R"(","systemModstamp":"2015-12-15T20:45:25.000+0000","totalProcessingTime":0})";
}

inline std::string batchInfoXml(const std::string& id, const std::string& jobId,
                                const std::string& state, const std::string& message = "") {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><batchInfo\n"
         "   xmlns=\"http://www.force.com/2009/06/asyncapi/dataload\">\n <id>" +
         id + "</id>\n <jobId>" + jobId + "</jobId>\n <state>" + state + "</state>\n" +
         (message.empty() ? "" : " <stateMessage>" + message + "</stateMessage>\n") +
         " <createdDate>2009-04-14T18:15:59.000Z</createdDate>\n"
         " <systemModstamp>2009-04-14T18:15:59.000Z</systemModstamp>\n"
         " <numberRecordsProcessed>0</numberRecordsProcessed>\n"
         " <numberRecordsFailed>0</numberRecordsFailed>\n"
         " <totalProcessingTime>0</totalProcessingTime>\n"
         " <apiActiveProcessingTime>0</apiActiveProcessingTime>\n"
         " <apexProcessingTime>0</apexProcessingTime>\n</batchInfo>";
}

inline std::string batchInfoJson(const std::string& id, const std::string& jobId,
                                 const std::string& state) {
  return R"({"apexProcessingTime":0,"apiActiveProcessingTime":0,)"
         R"("createdDate":"2015-12-15T21:56:43.000+0000","id":")" +
         id + R"(","jobId":")" + jobId +
         R"(","numberRecordsFailed":0,"numberRecordsProcessed":0,"state":")" + state +
         R"(","systemModstamp":"2015-12-15T21:56:43.000+0000","totalProcessingTime":0})";
}

inline std::string errorXml(const std::string& code, const std::string& message) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><error\n"
         "   xmlns=\"http://www.force.com/2009/06/asyncapi/dataload\">\n <exceptionCode>" +
         code + "</exceptionCode>\n <exceptionMessage>" + message + "</exceptionMessage>\n</error>";
}

inline std::string errorJson(const std::string& code, const std::string& message) {
  return R"({"exceptionCode":")" + code + R"(","exceptionMessage":")" + message + R"("})";
}

inline std::string tokenJson(const std::string& token, const std::string& instanceUrl) {
  return R"({"access_token":")" + token + R"(","instance_url":")" + instanceUrl +
         R"(","id":"https://login.salesforce.com/id/00Dx0000000BV7z/005x00000012Q9P",)"
         R"("issued_at":"1278448832702","signature":"0CmxinZir53Yex7nE0TD+zMpvIWYGb/bdJh6XfOH6EQ=",)"
         R"("scope":"id api refresh_token","token_type":"Bearer"})";
}

}  // namespace sfdc::bulk::testing
